#!/usr/bin/perl
use IO::Socket;
=pod
x
=cut
my $n = $#ARGV; print $s "PRIVMSG #c :hi\n"; # end
