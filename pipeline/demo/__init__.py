"""The built-in demo workspace: a sample registry and submissions filled as clerks fill them."""
