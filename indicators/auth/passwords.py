"""The rule for new and changed passwords: at least 12 characters and not easy to guess.

"Easy to guess" is judged by zxcvbn (Dropbox's estimator, pinned in requirements.txt): it knows
common passwords, names, keyboard patterns, repeats, dates and l33t spellings, and it is told
the account's own name and e-mail and the product's name. A score of 3 or more (about 10^8
guesses) is required. Existing passwords keep working; one that fails this rule is asked to
change at the next login (auth.authenticate). Never imports streamlit; no database.
"""
from __future__ import annotations

from zxcvbn import zxcvbn

from indicators.errors import AuthError

MIN_LENGTH = 12
MAX_LENGTH = 256          # a longer one is surely pasted by mistake, and costs zxcvbn and scrypt time
MIN_SCORE = 3             # zxcvbn 0..4; 3 = "safely unguessable" (about 10^8 guesses)
PRODUCT_WORDS = ("gröna", "nyckeltal", "gronanyckeltal", "sekom", "ekokommuner", "kommun", "lösenord")


def _inputs(username: str | None, email: str | None) -> list[str]:
    words = list(PRODUCT_WORDS)
    for text in (username, email):
        if text:
            words.append(text)
            words.extend(part for part in str(text).replace("@", ".").split(".") if len(part) > 2)
    return words


def password_problem(password: str, username: str | None = None, email: str | None = None) -> AuthError | None:
    """Why this password may not be set (an AuthError to raise), or None when it is good."""
    password = password or ""
    if len(password) < MIN_LENGTH or not password.strip():
        return AuthError("auth.weak_password", f"The password must have at least {MIN_LENGTH} characters.",
                         n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return AuthError("auth.long_password", f"The password may have at most {MAX_LENGTH} characters.",
                         n=MAX_LENGTH)
    if zxcvbn(password, user_inputs=_inputs(username, email))["score"] < MIN_SCORE:
        return AuthError("auth.guessable_password",
                         "The password is too easy to guess (a common password, a name, a pattern or a repeat). "
                         "Use three or four unrelated words, or a password manager.")
    return None


def check_new_password(password: str, username: str | None = None, email: str | None = None) -> None:
    problem = password_problem(password, username, email)
    if problem is not None:
        raise problem


def meets_rule(password: str, username: str | None = None, email: str | None = None) -> bool:
    return password_problem(password, username, email) is None
