"""Text handling shared by training and serving: normalisation, offsets, segmentation, language."""
