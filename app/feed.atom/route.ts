import { feedResponse } from "@/app/_lib/feeds";

export const GET = (request: Request) => feedResponse(request, "atom");
