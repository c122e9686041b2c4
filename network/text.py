"""Spanish text similarity: accent-insensitive TF-IDF cosine with scipy sparse."""

import re
import unicodedata

import numpy as np
import scipy.sparse as sp

__all__ = [
    "SPANISH_STOPWORDS",
    "normalize_text",
    "tokenize",
    "tfidf_matrix",
    "text_similarity_matrix",
]

# Stored already normalised (no accents, lower case) because tokens are
# compared after normalisation.
SPANISH_STOPWORDS = frozenset(
    """
    a al algo algun alguna algunas alguno algunos ante antes asi aun aunque
    bajo cada casi como con contra cual cuales cuando de del desde donde dos
    el ella ellas ello ellos en entre era eran es esa esas ese eso esos esta
    estan estas este esto estos fue fueron ha han hasta hay la las le les lo
    los mas me mi mis mucho muy nada ni no nos nuestra nuestras nuestro
    nuestros o otra otras otro otros para pero poco por porque que quien
    se sea ser si sin sobre son su sus tambien tan tanto te tiene tienen
    todo todos tu u un una unas uno unos y ya
    alumno alumnos alumna alumnas escuela escuelas estudiantes
    """.split()
)

_TOKEN = re.compile(r"[a-z0-9]+")


def normalize_text(text):
    """Return `text` lower-cased and without accents (``ñ`` becomes ``n``).

    Examples
    --------
    >>> normalize_text("Comprensión LECTORA en niñas")
    'comprension lectora en ninas'
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def tokenize(text, *, stopwords=SPANISH_STOPWORDS, min_length=3):
    """Return the normalised content words of `text`.

    Examples
    --------
    >>> tokenize("Los alumnos no comprenden lo que leen en la lectura")
    ['comprenden', 'leen', 'lectura']
    """
    return [
        token
        for token in _TOKEN.findall(normalize_text(text))
        if len(token) >= min_length and token not in stopwords
    ]


def tfidf_matrix(documents, *, stopwords=SPANISH_STOPWORDS):
    """Return the L2-normalised TF-IDF matrix of `documents` (CSR, one row each).

    Uses sublinear term frequency (``1 + log tf``) and smoothed inverse
    document frequency (``log((1 + n) / (1 + df)) + 1``), like scikit-learn's
    defaults, so long texts do not dominate.

    Examples
    --------
    >>> X = tfidf_matrix(["lectura lenta", "lectura y escritura", ""])
    >>> X.shape, X.nnz
    ((3, 3), 4)
    """
    documents = list(documents)
    vocabulary = {}
    rows, cols, counts = [], [], []
    for row, document in enumerate(documents):
        tokens = tokenize(document, stopwords=stopwords)
        for token in tokens:
            rows.append(row)
            cols.append(vocabulary.setdefault(token, len(vocabulary)))
            counts.append(1.0)
    n_docs = len(documents)
    if n_docs == 0:
        return sp.csr_matrix((0, 0))
    tf = sp.csr_matrix((counts, (rows, cols)), shape=(n_docs, max(len(vocabulary), 1)))
    tf.sum_duplicates()
    tf.data = 1.0 + np.log(tf.data)
    df = np.bincount(tf.indices, minlength=tf.shape[1])
    idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
    X = tf @ sp.diags(idf)
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ X)


def text_similarity_matrix(documents, *, stopwords=SPANISH_STOPWORDS):
    """Return the dense matrix of cosine similarities between `documents`.

    Empty documents are similar to nothing (0), including themselves.

    Examples
    --------
    >>> S = text_similarity_matrix(
    ...     ["Baja comprensión lectora", "comprension lectora baja", "Violencia"]
    ... )
    >>> S.round(2).tolist()
    [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    X = tfidf_matrix(documents, stopwords=stopwords)
    return np.clip((X @ X.T).toarray(), 0.0, 1.0)
