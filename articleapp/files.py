"""Read an input file for an import, turning every way it can fail into one clear line."""

from pathlib import Path


def read_bytes(path, error_class):
    """Return the bytes of ``path``; raise ``error_class`` saying why it cannot be read."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error_class(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error_class(f"{path}: is a directory, not a file") from None
    except OSError as error:
        raise error_class(f"{path}: cannot be read ({error.strerror})") from None
