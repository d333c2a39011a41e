"""Imports Anki text files with Anki's own library, the way File > Import does,
each into a new collection, and prints every note as JSON, by file:
{"file": [{"guid", "fields", "tags", "decks"}, ...]}. With --one-collection,
imports the files one after the other into one collection and prints its notes
under "collection".

Usage: python anki_import.py [--one-collection] FILE...  (tests/it/anki.rs runs
it in the venv that scripts/install-test-tools makes)
"""

import json
import os
import sys
import tempfile

from anki.collection import Collection, ImportCsvRequest


def import_files(paths):
    """The notes of a new collection after importing `paths` in order."""
    with tempfile.TemporaryDirectory() as folder:
        col = Collection(os.path.join(folder, "collection.anki2"))
        try:
            for path in paths:
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
    args = sys.argv[1:]
    if args[:1] == ["--one-collection"]:
        print(json.dumps({"collection": import_files(args[1:])}))
    else:
        print(json.dumps({path: import_files([path]) for path in args}))
