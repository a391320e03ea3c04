"""Evaluation of model artifacts through the serving path: held-out metrics, identity bias, and the model card."""
