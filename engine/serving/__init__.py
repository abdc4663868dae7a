"""What the Rasa server loads at run time and the trained model does not depend on.

The input channels and the server's entry point live here, apart from the NLU components
of ``engine/``: a change here must not make the model stale (``training/model.py`` leaves this
folder out of the model's fingerprint).
"""
