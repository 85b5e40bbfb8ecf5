<%@ Page Language="VB" %><%-- c --%><% ' comment
Response.Write("a""b") : char c = 'x' %>
