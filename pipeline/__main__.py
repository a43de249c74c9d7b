"""Entry point of `python -m pipeline`."""

from pipeline.cli import main
from pipeline.system import leave

leave(main())
