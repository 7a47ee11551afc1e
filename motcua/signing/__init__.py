"""Signing authority (ND 30/2020 art. 13), signature blocks, digital signatures and their public verification."""
