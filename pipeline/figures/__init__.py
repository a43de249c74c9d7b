"""Figures, charts, key figures, maps and the calendar timeline (issue 11).

Stage 1 (`assets`, `data`): the files of content/figures/ and content/donnees/ are found
and read into the model; stage 2 (`checks`, `svgcheck`): every figure block and file is
checked before any layout; stage 3 (`blocks`, `render`, `charts`, `timeline`, `maps`):
each block becomes HTML, each chart a deterministic SVG string (a pure function of its
data, reused as is by the web edition).
"""
