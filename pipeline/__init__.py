"""Use cases: one module per thing a user or the daily flow asks for.

Each module composes extractors/ (fetch, parse), model/ (arithmetic), warehouse/ (store,
read) and alerts/ (evaluate, deliver) into one library function; `thesis_cli` commands
and the Prefect flow (flows/) are thin calls to these. See docs/development.md.
"""
