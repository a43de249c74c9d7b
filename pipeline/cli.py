"""Command line: `python -m pipeline check|build`.

Editors' errors are printed as `path:line: error: message`, one a line, with a non-zero
exit and no traceback. A failure that is not the content's (a bug of the pipeline) is
said in one line too, with exit status 2; `--trace` shows its traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pipeline.build import Project, build, check
from pipeline.errors import PipelineError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pipeline", description=__doc__)
    parser.add_argument("command", choices=["check", "build"])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="dossier du projet")
    parser.add_argument("--out", type=Path, default=None, help="dossier de sortie (build/)")
    parser.add_argument("--sans-pilotes", action="store_true", help="sans les extraits par pilote")
    parser.add_argument("--trace", action="store_true", help="traceback des erreurs internes")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    project = Project(root, (args.out or root / "build").resolve())
    started = time.perf_counter()
    try:
        if args.command == "check":
            _schema, warnings = check(project)
            for warning in warnings:
                print(_relative(str(warning), root), file=sys.stderr)
            print(f"contenu valide ({time.perf_counter() - started:.2f} s)")
        else:
            for item in build(project, pilots=not args.sans_pilotes):
                print(f"{item.path}  {item.pages or '-'} p.")
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
    return 0


def _relative(line: str, root: Path) -> str:
    return line.replace(str(root) + "/", "")


if __name__ == "__main__":
    sys.exit(main())
