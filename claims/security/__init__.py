"""Guards against the quick start's demo accounts reaching a production desk."""
