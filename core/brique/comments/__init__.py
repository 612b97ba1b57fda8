"""Comments on the resources of components: threads, positions, votes, official answers.

Components opt in per resource type (``ResourceType.commentable``) and open the
``comment`` and ``vote_comment`` actions on their component type; the core does
the rest under the resource's page.
"""
