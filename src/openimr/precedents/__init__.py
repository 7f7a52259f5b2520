"""Precedents: how earlier decided items like a request were decided (index, `similar`, `audit`).

- `index.update_index(records, folder)` / `index.PrecedentIndex.open(folder)`: the incremental index
- `corpus.open_for_corpus(path)`: the index of a letters corpus, brought up to date
- `query.item_precedents`, `query.attach_precedents`: precedents of a request, a case, a draft
- `audit.run_audit`: items decided against the bulk of their close precedents
"""
