"""After signature: fiches-actions, annual monitoring (suivi) and the annual bilan.

`model` (the typed fiches and suivi years), `load` (content/fiches/, content/suivi/),
`rules` (their validation), `views` (what the bilan prints), `publish` (the PDFs),
`data` (build/donnees/suivi.csv and fiches-indicateurs.csv).
"""
