"""Read an input file for an import, turning every way it can fail into one clear line.

Only regular files are read, and at most ``settings.IMPORT_MAX_BYTES`` of them: a FIFO would
block the command until someone writes to it, and ``/dev/zero`` never ends; both are refused
before a byte is read. The file is opened without blocking and then checked on the open file
descriptor, so it cannot be swapped for something else between the check and the read.
"""

import os
import stat
from pathlib import Path

from django.conf import settings

# Opening a FIFO for reading waits for a writer unless asked not to.
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bytes(path, error_class, max_bytes=None):
    """Return the bytes of the regular file ``path``; raise ``error_class`` saying why not."""
    path = Path(path)
    limit = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        descriptor = os.open(path, OPEN_FLAGS)
    except FileNotFoundError:
        raise error_class(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error_class(f"{path}: is a directory, not a file") from None
    except OSError as error:
        raise error_class(f"{path}: cannot be read ({error.strerror})") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise error_class(f"{path}: is a directory, not a file")
        raise error_class(f"{path}: is not a regular file (a device, pipe or socket)")
    with os.fdopen(descriptor, "rb") as file:
        try:
            data = file.read(limit + 1)
        except OSError as error:
            raise error_class(f"{path}: cannot be read ({error.strerror})") from None
    if len(data) > limit:
        raise error_class(
            f"{path}: is larger than the import limit of {limit:,} bytes "
            "(set IMPORT_MAX_BYTES to allow more)"
        )
    return data
