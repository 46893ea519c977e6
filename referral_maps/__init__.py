"""The referral atlas, shipped in the wheel as ``nmt_bodymap.referral_maps``.

Not code: this marker makes the folder a resource package; the atlas format
is described in ``README.md`` beside it.
"""
