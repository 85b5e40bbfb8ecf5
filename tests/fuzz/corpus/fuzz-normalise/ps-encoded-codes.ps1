Invoke-Expression( ('87K114r105E116_101i45K72P111a115_116'.Split('KrEi_Pa') |ForEach-Object { ([Char][Int]$_)} )-Join '')
( 87,114 , 105 , 116, 101 | %{ ( [Int]$_ -AS [Char])} )|IEX
('57_72}69R74u65P2dR48'-SPLiT'P'-SpliT'}'-SPLIt 'u' -split '_' -split 'R'| ForEach-Object { ([Convert]::ToInt16(( $_.ToString()),16)-AS[Char]) }) -Join ''|Invoke-Expression
-Join (( 57,72 , 69 , 74 , 65, '2d', 48, '6f' )|ForEach-Object{ ([Char]([Convert]::ToInt16( ([String]$_) ,16))) })|IEX
IEX(-Join (( 127 ,162 ,151 ,164 , 145 , 55 )|% {( [Char] ([Convert]::ToInt16( ( [String]$_),8 ) )) }))
-Join ('1010111y1110010W1101001{1110100' -split 'y' -split 'W' -split '{'| ForEach-Object { ([Char]([Convert]::ToInt16(( $_.ToString() ) ,2) ))} )| IEX
((180,151,138,151 , 195) | fOrEAch-ObJect {[chaR] ( $_-BXor 0xE3 ) } )-jOIN'' | iEx
([ChAR[]] 65,66,67 | fOREACh-objEct{[ChAR]($_ -bxoR'0x36' )} )-jOIn''
