"""Helpers the tests share: factories, page readers, servers, the access matrix, corpora."""
