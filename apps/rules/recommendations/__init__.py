"""One module per recommendation of Bennett et al. 2024 (Table 6), numbered as in the study."""
