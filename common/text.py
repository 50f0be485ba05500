import unicodedata


def folded(text: str) -> str:
    """``text`` without accents and case, for sorting French names as a reader expects
    ("Canceropôle Provence…" after "Cancéropôle Nord-Ouest")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
