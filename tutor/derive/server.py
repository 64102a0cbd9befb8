"""Entry point of the CheckerProcess's server process: `python -m tutor.derive.server`.

Reads JSON-line requests on stdin and answers on stdout (see `tutor.derive.worker.serve`);
stdout belongs to the protocol, so anything else printed is sent to stderr.
"""

import os
import sys

from tutor.derive.worker import serve

if __name__ == "__main__":
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout = sys.stderr
    serve(sys.stdin, protocol)
