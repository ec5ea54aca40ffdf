"""Contracts: the template layout, the rule catalogue, pandera models and the warehouse DDL."""
