import { feedResponse } from "@/app/_lib/feeds";

export const GET = async (request: Request, { params }: { params: Promise<{ slug: string }> }) =>
  feedResponse(request, "atom", (await params).slug);
