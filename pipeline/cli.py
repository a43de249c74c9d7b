"""Command line: `python -m pipeline check|build|edition|verify-edition`.

Editors' errors are printed as `path:line: error: message`, one a line, with a non-zero
exit and no traceback. A failure that is not the content's (a bug of the pipeline) is
said in one line too, with exit status 2; `--trace` shows its traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.build import Project, build, check
from pipeline.edition import build_edition, editions_dir
from pipeline.errors import Finding, PipelineError
from pipeline.verify import verify_edition


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = args.root.resolve()
    project = Project(root, (args.out or root / "build").resolve())
    try:
        return COMMANDS[args.command](project, args)
    except PipelineError as exc:
        for finding in exc.findings:
            print(_relative(str(finding), root), file=sys.stderr)
        print(f"{len(exc.findings)} problème(s) : rien n'a été publié.", file=sys.stderr)
        return 1
    except RecursionError:
        if args.trace:
            raise
        print("error: contenu imbriqué trop profondément pour être mis en page : lancez "
              "`make check` pour situer le texte à simplifier ; rien n'a été publié.",
              file=sys.stderr)
        return 2
    except Exception as exc:  # a bug of the pipeline, not a mistake in the content
        if args.trace:
            raise
        print(f"error: erreur interne du pipeline ({type(exc).__name__} : "
              f"{_relative(str(exc), root)}) ; ce n'est pas une erreur du contenu : relancez "
              "avec --trace et signalez-la ; rien n'a été publié.", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pipeline", description=__doc__)
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("--version", help="édition à vérifier (défaut : celle de edition.yml)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="dossier du projet")
    parser.add_argument("--out", type=Path, default=None, help="dossier de sortie (build/)")
    parser.add_argument("--sans-pilotes", action="store_true", help="sans les extraits par pilote")
    parser.add_argument("--trace", action="store_true", help="traceback des erreurs internes")
    return parser


def _check(project: Project, _args: argparse.Namespace) -> int:
    started = time.perf_counter()
    _schema, warnings = check(project)
    _warn(warnings, project.root)
    print(f"contenu valide ({time.perf_counter() - started:.2f} s)")
    return 0


def _build(project: Project, args: argparse.Namespace) -> int:
    built = build(project, pilots=not args.sans_pilotes)
    for item in built.artifacts:
        print(f"{item.path}  {item.pages or '-'} p.")
    _warn(built.warnings, project.root)
    return 0


def _edition(project: Project, _args: argparse.Namespace) -> int:
    started = time.perf_counter()
    outcome = build_edition(project)
    where = _relative(str(outcome.path), project.root)
    if outcome.identical:
        print(f"{where} : édition déjà construite, identique octet pour octet "
              f"({outcome.files} fichiers)")
    else:
        print(f"{where} : édition construite ({outcome.files} fichiers, "
              f"{time.perf_counter() - started:.1f} s)")
    if outcome.uncommitted:
        print("warning: content/, layouts/ ou pipeline/ modifiés depuis leur dernier commit : "
              "edition.json ne peut pas rattacher cette édition à un commit ; committez, "
              "puis reconstruisez avant de la verser", file=sys.stderr)
    return 0


def _warn(warnings: list[Finding], root: Path) -> None:
    for warning in warnings:
        print(_relative(str(warning), root), file=sys.stderr)


def _verify(project: Project, args: argparse.Namespace) -> int:
    """`verify-edition`: 0 when the archived edition is intact, 1 naming every problem."""
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


COMMANDS: dict[str, Callable[[Project, argparse.Namespace], int]] = {
    "check": _check, "build": _build, "edition": _edition, "verify-edition": _verify,
}


if __name__ == "__main__":
    sys.exit(main())
