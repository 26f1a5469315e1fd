"""One module per recommendation of Bennett et al. 2024 (Table 6), numbered as in the study."""

from .._compiled import use_compiled

use_compiled(__path__, "recommendations")  # the compiled r01-r14 when the build is current (ADR 0003)
