"""Training: reading the labelled data sets into one record format and fitting model artifacts from them."""
