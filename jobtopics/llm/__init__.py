"""LLM access: one OpenAI-compatible client path for remote endpoints and the embedded local server."""

# The generation parameters that change answers: with the model id they key the answer cache (client.LLMSettings),
# and with LLM descriptions they are part of a fitted map's id (jobtopics.fits.vector_fingerprint).
GENERATION_PARAMETERS = ("temperature", "seed", "max_tokens")
