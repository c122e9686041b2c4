"""Accounts: authentication, invitations, password resets, people management and API tokens.

Every function takes the acting user explicitly (``actor=``) and never reads the request, so the
pages, the API, the CLI and the tests call the same code. Functions flush; the caller commits.
Secrets (invitation links, reset links, API tokens) are returned once and stored only as hashes.

By concern: ``login`` (authentication, the per-address limits), ``passwords`` (the rules of a new
password), ``sessions`` (ending sessions), ``invitations``, ``resets`` (password resets and changes),
``people`` (managing accounts, advisors, schools and zones by CCT),
``tokens`` (API tokens).
"""

from __future__ import annotations

from app.auth.invitations import (  # noqa: F401
    _check_email,
    _pending_invitation,
    accept_invitation,
    create_invitation,
    find_invitation,
    invitable_roles,
    invitation_status,
    invitations_issued_by,
    revoke_invitation,
)
from app.auth.login import (  # noqa: F401
    ACCOUNT_IP_LIMIT_ERROR,
    GENERIC_LOGIN_ERROR,
    IP_LIMIT_ERROR,
    AuthError,
    LoginResult,
    _dummy_hashes,
    _ip_rule,
    _spend_a_hash,
    authenticate,
    find_user_by_email,
    normalise_email,
)
from app.auth.passwords import (  # noqa: F401
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    check_new_password,
    personal_words,
)
from app.auth.people import (  # noqa: F401
    assign_advisor,
    can_see_people,
    people_query,
    resolve_ccts,
    school_by_cct,
    set_user_active,
    zone_by_cct,
)
from app.auth.resets import (  # noqa: F401
    change_password,
    find_password_reset,
    issue_password_reset,
    reset_password,
)
from app.auth.sessions import (  # noqa: F401
    end_sessions,
    load_user,
    stay_logged_in,
)
from app.auth.tokens import (  # noqa: F401
    api_tokens_of,
    authenticate_token,
    create_api_token,
    find_api_token,
    revoke_api_token,
)
