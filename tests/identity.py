"""A real OpenID provider on loopback for the tests: `oidc-provider` (an OpenID
Certified implementation, from the npm registry), run by Node.js from
tests/identity_provider/server.mjs with accounts that carry the Swedish eID
framework's claims, and a person's way through its sign-in page.

Its packages are installed once into ~/.cache/paragraf-oidc (or
PARAGRAF_OIDC_CACHE) by `npm ci` from the lock file; .ci/run installs Node.js."""

import hashlib
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

HERE = Path(__file__).parent / "identity_provider"
PNR_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
# The provider's people: their account id is what they type on its sign-in page.
ACCOUNTS = {
    "anna": {"name": "Anna Ek", PNR_CLAIM: "198001011234", "email": "anna@norralv.example"},
    "bo": {"name": "Bo Lund", PNR_CLAIM: "197505059876", "email": "bo@norralv.example"},
    "okand": {"name": "Okänd Person", PNR_CLAIM: "199912319999", "email": "x@example.org"},
}


def _installed() -> Path:
    cache = Path(os.environ.get("PARAGRAF_OIDC_CACHE", Path.home() / ".cache" / "paragraf-oidc"))
    lock = (HERE / "package-lock.json").read_bytes()
    stamp = cache / ".lock-sha256"
    if not stamp.exists() or stamp.read_text() != hashlib.sha256(lock).hexdigest():
        if shutil.which("npm") is None:
            pytest.skip(
                "Node.js and npm are needed for the OpenID provider (.ci/run installs them)"
            )
        cache.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(HERE / name, cache / name)
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=cache, check=True, capture_output=True
        )
        stamp.write_text(hashlib.sha256(lock).hexdigest())
    server = (HERE / "server.mjs").read_bytes()
    if not (cache / "server.mjs").exists() or (cache / "server.mjs").read_bytes() != server:
        (cache / "server.mjs").write_bytes(server)  # (ESM finds its packages beside it)
    return cache


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen

    def register(self, redirect_uri: str) -> tuple[str, str]:
        """A client of the provider (dynamic registration): (client id, secret)."""
        answer = requests.post(
            f"{self.issuer}/reg",
            json={
                "redirect_uris": [redirect_uri],
                # Back to the site's front page after logging out there.
                "post_logout_redirect_uris": [redirect_uri.split("/logga-in/")[0] + "/"],
                "token_endpoint_auth_method": "client_secret_basic",
            },
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()["client_id"], answer.json()["client_secret"]


@pytest.fixture(scope="session")
def openid_provider():
    cache = _installed()
    process = subprocess.Popen(
        ["node", "server.mjs"],
        cwd=cache,
        env={**os.environ, "ACCOUNTS": json.dumps(ACCOUNTS)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 20
    issuer = None
    while issuer is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("{"):
            issuer = json.loads(line)["issuer"]
    if issuer is None:
        process.kill()
        raise RuntimeError("the OpenID provider did not start")
    yield Provider(issuer, process)
    process.terminate()
    process.wait(timeout=10)


def authenticate(url: str, *, login: str, acr: str = LOA2, stop_at: str) -> str:
    """A person's way through the provider's sign-in from `url` (the authorization
    request): they type their account and reach the level `acr`. Returns the
    address the provider sends the browser back to (starting with `stop_at`),
    without following it."""
    browser = requests.Session()
    answer = browser.get(url, allow_redirects=False, timeout=10)
    for _ in range(10):
        location = answer.headers.get("Location")
        if location is None:
            # The sign-in page: the form posts back to itself.
            answer = browser.post(
                answer.url, data={"login": login, "acr": acr}, allow_redirects=False, timeout=10
            )
            continue
        location = urljoin(answer.url, location)
        if location.startswith(stop_at):
            return location
        answer = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError(f"the provider did not send the browser back: {answer.status_code}")
