"""Command line: `python -m pipeline check|build|edition|verify-edition`.

Each command is an `argparse` sub-parser with only its own options. Editors' errors are
printed as `path:line: error: message`, one a line, with a non-zero exit and no
traceback; so are the machine's (a file without read rights, a full disk: the path and
what to do). A failure that is neither (a bug of the pipeline) is said in one line too,
with exit status 2; `--trace` shows its traceback. Ctrl-C or SIGTERM: one line, exit
130 or 143, nothing published. Progress goes to stdout, problems to stderr. The layout
engine is imported by the commands that lay out, never by `check`.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from pipeline.errors import Finding, PipelineError, SourceLocation
from pipeline.project import Project, check
from pipeline.staging import Busy, exclusive
from pipeline.system import environment_message


class Stopped(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every clean-up runs on the way out."""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = args.root.resolve()
    out = getattr(args, "out", None)
    project = Project(root, (out or root / "build").resolve())
    previous = _stop_on_sigterm()
    try:
        command: Callable[[Project, argparse.Namespace], int] = args.run
        return command(project, args)
    except PipelineError as exc:
        _report(exc.findings, root, summary=not isinstance(exc, Busy))
        return 1
    except KeyboardInterrupt as exc:
        print("interrompu : rien n'a été publié", file=sys.stderr)
        return 128 + (signal.SIGTERM if isinstance(exc, Stopped) else signal.SIGINT)
    except OSError as exc:  # the machine's: rights, full disk… (not the content's)
        if args.trace or not exc.filename:
            return _internal(exc, args.trace, root)
        _report([Finding(SourceLocation.of(exc.filename), environment_message(exc))], root)
        return 1
    except RecursionError:
        if args.trace:
            raise
        print("error: contenu imbriqué trop profondément pour être mis en page : lancez "
              "`make check` pour situer le texte à simplifier ; rien n'a été publié.",
              file=sys.stderr)
        return 2
    except Exception as exc:  # a bug of the pipeline, not a mistake in the content
        return _internal(exc, args.trace, root)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _internal(exc: Exception, trace: bool, root: Path) -> int:
    if trace:
        raise exc
    print(f"error: erreur interne du pipeline ({type(exc).__name__} : "
          f"{_relative(str(exc), root)}) ; ce n'est pas une erreur du contenu : relancez "
          "avec --trace et signalez-la ; rien n'a été publié.", file=sys.stderr)
    return 2


def _report(findings: list[Finding], root: Path, summary: bool = True) -> None:
    for finding in findings:
        print(_relative(str(finding), root), file=sys.stderr)
    if summary:
        print(f"{len(findings)} problème(s) : rien n'a été publié.", file=sys.stderr)


def _stop_on_sigterm() -> Any:
    """Make SIGTERM raise `Stopped` (main thread only); the handler it replaces."""
    def stop(_number: int, _frame: FrameType | None) -> None:
        raise Stopped
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, stop)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path.cwd(),
                        help="dossier du projet (content/ et layouts/)")
    common.add_argument("--trace", action="store_true", help="traceback des erreurs internes")
    parser = argparse.ArgumentParser(prog="pipeline", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="commande")
    for name, (run, help_text) in COMMANDS.items():
        sub = commands.add_parser(name, parents=[common], help=help_text,
                                  description=help_text)
        sub.set_defaults(run=run)
        if name in OPTIONS:
            OPTIONS[name](sub)
    return parser


def _build_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--out", type=Path, default=None, help="dossier de sortie (build/)")
    sub.add_argument("--sans-pilotes", action="store_true", help="sans les extraits par pilote")
    sub.add_argument("--force", action="store_true", help="reconstruit même si rien n'a changé")


def _preview_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--port", type=int, default=8000,
                     help="port sur 127.0.0.1 (défaut : 8000 ; 0 : un port libre)")


def _preview(project: Project, args: argparse.Namespace) -> int:
    from pipeline.preview import run

    return run(project, args.port)


def _verify_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--version", help="édition à vérifier (défaut : celle de edition.yml)")


def _check_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--sans-orthographe", action="store_true",
                     help="sans les avertissements d'orthographe et de cohérence")


def _check(project: Project, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    _schema, warnings = check(project, review=not args.sans_orthographe)
    _warn(warnings, project.root)
    print(f"contenu valide ({time.perf_counter() - started:.2f} s)")
    return 0


def _build(project: Project, args: argparse.Namespace) -> int:
    from pipeline.inputs import up_to_date

    if not args.force and up_to_date(project.root, project.out, not args.sans_pilotes):
        print(f"{_relative(str(project.out), project.root)}/ à jour (entrées inchangées)")
        return 0
    from pipeline.build import build

    built = build(project, pilots=not args.sans_pilotes)
    folders: dict[str, int] = {}  # the web edition and the data: one line per folder
    for item in built.artifacts:
        if item.kind in ("site", "data"):
            folder = item.path.split(f"/{item.kind if item.kind == 'site' else 'donnees'}/")[0]
            key = f"{folder}/{'site' if item.kind == 'site' else 'donnees'}/"
            folders[key] = folders.get(key, 0) + 1
        else:
            print(f"{item.path}  {item.pages or '-'} p.")
    for folder, count in folders.items():
        print(f"{folder}  {count} fichiers")
    _warn(built.warnings, project.root)
    return 0


def _edition(project: Project, _args: argparse.Namespace) -> int:
    from pipeline.edition import build_edition

    started = time.perf_counter()
    with exclusive(project.out):  # never beside a build replacing build/ and its editions
        outcome = build_edition(project)
    where = _relative(str(outcome.path), project.root)
    if outcome.identical:
        print(f"{where} : édition déjà construite, identique octet pour octet "
              f"({outcome.files} fichiers)")
    else:
        print(f"{where} : édition construite ({outcome.files} fichiers, "
              f"{time.perf_counter() - started:.1f} s)")
    return 0


def _relecture(project: Project, _args: argparse.Namespace) -> int:
    from pipeline.review.render import build_pack
    from pipeline.review.spelling import missing_dictionary

    pack = build_pack(project)
    counts = ", ".join(f"{s.title.lower()} : {len(s.items)}" for s in pack.sections)
    for path in (pack.html, pack.pdf):
        print(_relative(str(path), project.root))
    print(f"dossier de relecture ({pack.pages} p.) : {counts}")
    if not pack.spelling_checked:
        print(f"warning: {missing_dictionary()}", file=sys.stderr)
    return 0


def _warn(warnings: list[Finding], root: Path) -> None:
    for warning in warnings:
        print(_relative(str(warning), root), file=sys.stderr)


def _verify(project: Project, args: argparse.Namespace) -> int:
    """`verify-edition`: 0 when the archived edition is intact, 1 naming every problem."""
    from pipeline.edition import editions_dir
    from pipeline.verify import verify_edition

    version: str | None = args.version
    if version is None:
        schema, _warnings = check(project)
        version = schema.edition.version
    folder = editions_dir(project) / version
    problems = verify_edition(folder)
    where = _relative(str(folder), project.root)
    for problem in problems:
        print(f"{where}/{_relative(problem, project.root)}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problème(s) dans l'édition {version}.", file=sys.stderr)
        return 1
    print(f"{where} : édition {version} intacte (sac BagIt, PDF/A, polices, liens)")
    return 0


def _relative(line: str, root: Path) -> str:
    return line.replace(str(root) + "/", "")


Command = Callable[[Project, argparse.Namespace], int]
COMMANDS: dict[str, tuple[Command, str]] = {
    "check": (_check, "valide content/ sans rien mettre en page"),
    "build": (_build, "construit les publications dans build/"),
    "edition": (_edition, "construit l'édition d'archive nommée dans content/edition.yml"),
    "verify-edition": (_verify, "revérifie une édition archivée"),
    "relecture": (_relecture, "construit le dossier de relecture du comité éditorial "
                  "(build/relecture/)"),
    "preview": (_preview, "aperçu en direct sur 127.0.0.1, rechargé à chaque modification"),
}
OPTIONS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "build": _build_options, "verify-edition": _verify_options, "check": _check_options,
    "preview": _preview_options,
}


if __name__ == "__main__":
    sys.exit(main())
