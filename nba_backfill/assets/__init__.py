"""Assets, one module per phase. Bodies are thin: they read inputs, call ``logic/``, return frames."""
