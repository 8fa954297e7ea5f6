import { OverviewPage } from "@/components/overview-page";

export default function Page() {
  return <OverviewPage />;
}
