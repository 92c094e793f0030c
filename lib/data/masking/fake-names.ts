// The names the "name" kind draws from. Written here rather than taken from a faker library: a
// masked name must come from an HMAC of the original (the same person gets the same fake name in
// every table and every run), which is one array index per word — a faker's seeded generator per
// value is far slower and its lists change between its versions, which would change every masked
// name after an upgrade. Mixed origins on purpose; all plain ASCII so any column charset takes them.

export const FIRST_NAMES = [
  "Aaron", "Abigail", "Adam", "Adele", "Adrian", "Agnes", "Ahmed", "Aiko", "Alan", "Alba",
  "Albert", "Alejandro", "Alex", "Alice", "Alina", "Amara", "Amelia", "Amir", "Ana", "Andrea",
  "Andrew", "Angela", "Anna", "Anton", "Arjun", "Astrid", "Aurora", "Ava", "Axel", "Aylin",
  "Beatrice", "Ben", "Bianca", "Boris", "Brian", "Bruno", "Camila", "Carl", "Carla", "Carmen",
  "Caroline", "Cecile", "Chen", "Chiara", "Chloe", "Chris", "Claire", "Clara", "Colin", "Dana",
  "Daniel", "Daria", "David", "Diana", "Diego", "Dmitri", "Elena", "Eli", "Elif", "Elias",
  "Elisa", "Ella", "Emil", "Emily", "Emma", "Enzo", "Eric", "Erik", "Esther", "Ethan",
  "Eva", "Fatima", "Felix", "Fiona", "Francesca", "Frank", "Freya", "Gabriel", "Gemma", "George",
  "Gina", "Grace", "Greta", "Hana", "Hannah", "Harry", "Hassan", "Helen", "Henrik", "Hugo",
  "Ian", "Ida", "Ines", "Ingrid", "Iris", "Isaac", "Isabel", "Ivan", "Jack", "Jacob",
  "Jana", "Javier", "Jay", "Jonas", "Jorge", "Julia", "Julian", "June", "Kai", "Karen",
  "Karim", "Kate", "Kenji", "Kevin", "Kira", "Lara", "Laura", "Lea", "Leila", "Leo",
  "Leon", "Liam", "Lila", "Lina", "Linus", "Lisa", "Lucas", "Lucia", "Luis", "Luka",
  "Maja", "Malik", "Marco", "Maria", "Marius", "Mark", "Marta", "Mateo", "Maya", "Mei",
  "Mia", "Michael", "Milan", "Mila", "Mira", "Nadia", "Nathan", "Nia", "Nico", "Nina",
  "Noah", "Nora", "Olga", "Oliver", "Omar", "Oscar", "Owen", "Paul", "Paula", "Pedro",
  "Peter", "Petra", "Priya", "Rafael", "Rahul", "Rania", "Rosa", "Ruth", "Ryan", "Sam",
  "Sara", "Sean", "Selin", "Simon", "Sofia", "Sonia", "Stefan", "Susan", "Tara", "Theo",
  "Thomas", "Tim", "Tom", "Uma", "Valentina", "Vera", "Victor", "Vivian", "Wei", "Will",
  "Xavier", "Yara", "Yasmin", "Yuki", "Yusuf", "Zara", "Zoe", "Zoran", "Ada", "Bea",
] as const;

export const LAST_NAMES = [
  "Abbott", "Acosta", "Adams", "Ahmadi", "Alvarez", "Andersen", "Arslan", "Bailey", "Baker", "Bauer",
  "Becker", "Bell", "Bennett", "Berg", "Bianchi", "Blanc", "Brooks", "Brown", "Bruno", "Campbell",
  "Carter", "Castro", "Chen", "Clark", "Cohen", "Collins", "Conti", "Cook", "Costa", "Cruz",
  "Dahl", "Davies", "Dawson", "Demir", "Diaz", "Dubois", "Duarte", "Eriksson", "Evans", "Fabre",
  "Fischer", "Fleming", "Flores", "Fontaine", "Ford", "Foster", "Fox", "Garcia", "Gomez", "Gray",
  "Greco", "Green", "Gruber", "Gupta", "Hall", "Hansen", "Harris", "Hayes", "Hoffmann", "Holm",
  "Horvat", "Hughes", "Ibrahim", "Ito", "Jensen", "Johansson", "Jones", "Kaya", "Keller", "Kelly",
  "Khan", "Kim", "King", "Klein", "Koch", "Kowalski", "Kraus", "Kumar", "Lambert", "Lang",
  "Larsen", "Laurent", "Lee", "Lehmann", "Leone", "Lewis", "Li", "Lindqvist", "Lopez", "Lund",
  "Maier", "Marino", "Martin", "Martinez", "Meyer", "Miller", "Mitchell", "Moreau", "Moreno", "Morris",
  "Muller", "Murphy", "Nakamura", "Navarro", "Nguyen", "Nielsen", "Novak", "Nowak", "Olsen", "Ortiz",
  "Owen", "Ozturk", "Park", "Patel", "Perez", "Perrin", "Peters", "Petrov", "Phillips", "Popescu",
  "Price", "Quinn", "Ramos", "Reed", "Reyes", "Ricci", "Richter", "Rivera", "Roberts", "Romano",
  "Rossi", "Roux", "Russo", "Sahin", "Sanchez", "Santos", "Sato", "Schmidt", "Schneider", "Schulz",
  "Scott", "Shah", "Silva", "Singh", "Smith", "Sousa", "Stewart", "Suzuki", "Svensson", "Tanaka",
  "Taylor", "Thomas", "Torres", "Turner", "Vargas", "Vasquez", "Vogel", "Wagner", "Walker", "Wang",
  "Ward", "Watson", "Weber", "White", "Wilson", "Wolf", "Wood", "Wright", "Yamamoto", "Yilmaz",
  "Young", "Zhang", "Zimmermann", "Baptiste", "Castillo", "Dunn", "Ferrari", "Haas", "Iversen", "Jovanovic",
  "Kovac", "Lindberg", "Mendes", "Okafor", "Pereira", "Rahman", "Sorensen", "Teixeira", "Urban", "Varga",
  "Wojcik", "Zeller", "Adeyemi", "Bakker", "Visser", "Haddad", "Mensah", "Nakamoto", "O'Brien", "Kowalczyk",
] as const;
