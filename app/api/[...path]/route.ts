// Any /api path no route handles: a 404 in the API's one error shape, not an HTML page.
function notFound(request: Request) {
  const path = new URL(request.url).pathname;
  return Response.json({ error: { code: "not_found", message: `There is no API at ${path}.`, details: {} } }, { status: 404 });
}

export { notFound as DELETE, notFound as GET, notFound as PATCH, notFound as POST, notFound as PUT };
