"""The legacy upload API (twine, uv publish, poetry): a pipeline of small named steps."""
