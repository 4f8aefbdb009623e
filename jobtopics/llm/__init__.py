"""LLM access: one OpenAI-compatible client path for remote endpoints and the embedded local server."""
