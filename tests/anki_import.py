"""Imports Anki text files into a new collection with Anki's own library, the
way File > Import does, and prints every note as JSON, by file:
{"file": [{"guid", "fields", "tags", "decks"}, ...]}.

Usage: python anki_import.py FILE...  (tests/it/anki.rs runs it in the venv
that scripts/install-test-tools makes)
"""

import json
import os
import sys
import tempfile

from anki.collection import Collection, ImportCsvRequest


def import_file(path):
    with tempfile.TemporaryDirectory() as folder:
        col = Collection(os.path.join(folder, "collection.anki2"))
        try:
            metadata = col.get_csv_metadata(path=path, delimiter=None)
            col.import_csv(ImportCsvRequest(path=path, metadata=metadata))
            notes = []
            for note_id in col.find_notes(""):
                note = col.get_note(note_id)
                notes.append({
                    "guid": note.guid,
                    "fields": list(note.fields),
                    "tags": sorted(note.tags),
                    "decks": sorted({col.decks.name(card.did) for card in note.cards()}),
                })
            return notes
        finally:
            col.close()


if __name__ == "__main__":
    print(json.dumps({path: import_file(path) for path in sys.argv[1:]}))
