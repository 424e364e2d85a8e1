"""API authentication (per-user bearer tokens or the Django session) and token management.

Reads are open to everyone: anonymous callers see what the public pages show. Writes need a
token or a logged-in session; the session path checks CSRF (`LoggedInSession`), the token
path does not need to, because browsers never attach a bearer token on their own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth
from pydantic import ConfigDict

from buicasus.accounts.current_user import set_current_user
from buicasus.accounts.models import ApiToken

# `last_used_at` is written at most this often per token, so busy clients do not turn every
# read into a database write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class InvalidToken(AuthenticationError):
    """A bearer token was sent but is unknown, revoked or belongs to an inactive user."""


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `ApiToken.issue`.

    A token that is sent but unknown (revoked, mistyped) or whose user is inactive is refused
    with 401 even on reads: silently falling back to anonymous access would hide the mistake.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.find(token.strip())
        if found is None or not found.user.is_active:
            raise InvalidToken(message=_("Invalid or revoked API token."))
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        user = found.user
        request.user = user
        set_current_user(user)
        return user


def anonymous_reader(request: HttpRequest) -> Any:
    """Last resort for read operations: whoever the session says, possibly anonymous."""
    return request.user


class LoggedInSession(SessionAuth):
    """The Django session, with CSRF checked only once someone is logged in.

    ninja checks CSRF before looking at the user, so a write with no credentials at all was
    answered "403 CSRF check failed"; without a logged-in user there is nothing for a forged
    request to ride on, and the documented answer is 401.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


token_auth = ApiTokenAuth()
session_auth = LoggedInSession()
READ_AUTH: list[Any] = [token_auth, session_auth, anonymous_reader]
WRITE_AUTH: list[Any] = [token_auth, session_auth]
# Tells OpenAPI readers that a read operation also works without credentials.
OPTIONAL_AUTH_DOC: dict[str, Any] = {"security": [{}]}


class TokenIn(Schema):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100, description="What the token is for.")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None = None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret; shown only in this response.")


router = Router(tags=["tokens"], auth=WRITE_AUTH)


@router.get("", response=list[TokenOut])
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=request.user))


@router.post("", response={201: TokenCreated})
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    """The raw token is returned once; only its digest is stored, so it cannot be shown again."""
    token, raw = ApiToken.issue(request.user, payload.name)
    out = TokenOut.from_orm(token).model_dump()
    return Status(201, TokenCreated(**out, token=raw))


@router.delete("/{token_id}", response={204: None})
def delete_token(request: HttpRequest, token_id: int) -> Status:
    """Someone else's token answers 404, as if it did not exist."""
    get_object_or_404(ApiToken, pk=token_id, user=request.user).delete()
    return Status(204, None)
