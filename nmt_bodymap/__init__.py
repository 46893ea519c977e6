"""nmt-bodymap: a body chart, referral atlas and trigger point lookup for
neuromuscular and massage therapists.

Decision support for trained therapists, not a diagnosis.
"""

__version__ = "0.1.0"
