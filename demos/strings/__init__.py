"""Translation tables, one module per tab plus common.py; each defines EN and KO."""
